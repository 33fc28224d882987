"""pydantic-core schemas of the input files, compiled from models.py. Do not edit.

Written by `python -m outsourcecalc.inputs.models`; tests/test_models.py checks it is
current. Validating with these needs no pydantic model machinery, which would cost
a cold `compare` more than all its other work (validate.py falls back to the
models themselves under any other pydantic-core version).
"""

import math
from typing import Any

from . import records, values

PYDANTIC_CORE_VERSION = "2.50.5"

IN_HOUSE: Any = {
    "type": "function-after",
    "function": {
        "type": "no-info",
        "function": records.InHouse.checked,
    },
    "schema": {
        "type": "model",
        "cls": records.InHouse,
        "schema": {
            "type": "model-fields",
            "fields": {
                "kind": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "literal",
                            "expected": [
                                "in_house",
                            ],
                        },
                        "default": "in_house",
                    },
                },
                "name": {
                    "type": "model-field",
                    "schema": {
                        "type": "str",
                        "min_length": 1,
                    },
                },
                "currency": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "str",
                            "pattern": "^[A-Z]{3}$",
                        },
                        "default": "USD",
                    },
                },
                "analysis": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "model",
                            "cls": records.Analysis,
                            "schema": {
                                "type": "model-fields",
                                "fields": {
                                    "horizon_months": {
                                        "type": "model-field",
                                        "schema": {
                                            "type": "default",
                                            "schema": {
                                                "type": "function-after",
                                                "function": {
                                                    "type": "no-info",
                                                    "function": values.WholeIn(1, 600),
                                                },
                                                "schema": {
                                                    "type": "function-before",
                                                    "function": {
                                                        "type": "no-info",
                                                        "function": values.whole,
                                                    },
                                                    "schema": {
                                                        "type": "int",
                                                    },
                                                },
                                            },
                                            "default": 36,
                                        },
                                    },
                                    "discount_rate": {
                                        "type": "model-field",
                                        "schema": {
                                            "type": "default",
                                            "schema": {
                                                "type": "function-before",
                                                "function": {
                                                    "type": "no-info",
                                                    "function": values.Bounded('rate', 0.0, 1.0, False, True),
                                                },
                                                "schema": {
                                                    "type": "float",
                                                },
                                            },
                                            "default": 0.08,
                                        },
                                    },
                                    "start_month": {
                                        "type": "model-field",
                                        "schema": {
                                            "type": "default",
                                            "schema": {
                                                "type": "function-after",
                                                "function": {
                                                    "type": "no-info",
                                                    "function": values.WholeIn(1, 12),
                                                },
                                                "schema": {
                                                    "type": "function-before",
                                                    "function": {
                                                        "type": "no-info",
                                                        "function": values.whole,
                                                    },
                                                    "schema": {
                                                        "type": "int",
                                                    },
                                                },
                                            },
                                            "default": 1,
                                        },
                                    },
                                },
                                "model_name": "Analysis",
                                "computed_fields": [],
                            },
                            "custom_init": False,
                            "root_model": False,
                            "config": {
                                "extra_fields_behavior": "forbid",
                                "validate_default": False,
                                "title": "Analysis",
                            },
                        },
                        "validate_default": True,
                        "default": {},
                    },
                },
                "calendar": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "model",
                            "cls": records.Calendar,
                            "schema": {
                                "type": "model-fields",
                                "fields": {
                                    "working_days_per_year": {
                                        "type": "model-field",
                                        "schema": {
                                            "type": "default",
                                            "schema": {
                                                "type": "function-before",
                                                "function": {
                                                    "type": "no-info",
                                                    "function": values.Bounded('number', 0.0, 366.0, True, False),
                                                },
                                                "schema": {
                                                    "type": "float",
                                                },
                                            },
                                            "default": 260,
                                        },
                                    },
                                    "hours_per_day": {
                                        "type": "model-field",
                                        "schema": {
                                            "type": "default",
                                            "schema": {
                                                "type": "function-before",
                                                "function": {
                                                    "type": "no-info",
                                                    "function": values.Bounded('number', 0.0, 24.0, True, False),
                                                },
                                                "schema": {
                                                    "type": "float",
                                                },
                                            },
                                            "default": 8,
                                        },
                                    },
                                },
                                "model_name": "Calendar",
                                "computed_fields": [],
                            },
                            "custom_init": False,
                            "root_model": False,
                            "config": {
                                "extra_fields_behavior": "forbid",
                                "validate_default": False,
                                "title": "Calendar",
                            },
                        },
                        "validate_default": True,
                        "default": {},
                    },
                },
                "salary_growth": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "function-before",
                            "function": {
                                "type": "no-info",
                                "function": values.Bounded('rate', -0.5, 1.0, False, False),
                            },
                            "schema": {
                                "type": "float",
                            },
                        },
                        "default": 0.0,
                    },
                },
                "inflation": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "function-before",
                            "function": {
                                "type": "no-info",
                                "function": values.Bounded('rate', -0.5, 1.0, False, False),
                            },
                            "schema": {
                                "type": "float",
                            },
                        },
                        "default": 0.0,
                    },
                },
                "staff": {
                    "type": "model-field",
                    "schema": {
                        "type": "list",
                        "items_schema": {
                            "type": "model",
                            "cls": records.StaffRole,
                            "schema": {
                                "type": "model-fields",
                                "fields": {
                                    "role": {
                                        "type": "model-field",
                                        "schema": {
                                            "type": "str",
                                            "min_length": 1,
                                        },
                                    },
                                    "headcount": {
                                        "type": "model-field",
                                        "schema": {
                                            "type": "function-before",
                                            "function": {
                                                "type": "no-info",
                                                "function": values.count,
                                            },
                                            "schema": {
                                                "type": "float",
                                            },
                                        },
                                    },
                                    "annual_salary": {
                                        "type": "model-field",
                                        "schema": {
                                            "type": "function-before",
                                            "function": {
                                                "type": "no-info",
                                                "function": values.money,
                                            },
                                            "schema": {
                                                "type": "float",
                                            },
                                        },
                                    },
                                    "benefits_rate": {
                                        "type": "model-field",
                                        "schema": {
                                            "type": "default",
                                            "schema": {
                                                "type": "function-before",
                                                "function": {
                                                    "type": "no-info",
                                                    "function": values.Bounded('rate', 0.0, 2.0, False, False),
                                                },
                                                "schema": {
                                                    "type": "float",
                                                },
                                            },
                                            "default": 0.0,
                                        },
                                    },
                                    "benefits_per_head_annual": {
                                        "type": "model-field",
                                        "schema": {
                                            "type": "default",
                                            "schema": {
                                                "type": "function-before",
                                                "function": {
                                                    "type": "no-info",
                                                    "function": values.money,
                                                },
                                                "schema": {
                                                    "type": "float",
                                                },
                                            },
                                            "default": 0.0,
                                        },
                                    },
                                    "time_off_days": {
                                        "type": "model-field",
                                        "schema": {
                                            "type": "default",
                                            "schema": {
                                                "type": "function-before",
                                                "function": {
                                                    "type": "no-info",
                                                    "function": values.Bounded('number', 0.0, 366.0, False, False),
                                                },
                                                "schema": {
                                                    "type": "float",
                                                },
                                            },
                                            "default": 0.0,
                                        },
                                    },
                                    "attrition_rate": {
                                        "type": "model-field",
                                        "schema": {
                                            "type": "default",
                                            "schema": {
                                                "type": "function-before",
                                                "function": {
                                                    "type": "no-info",
                                                    "function": values.Bounded('rate', 0.0, 5.0, False, False),
                                                },
                                                "schema": {
                                                    "type": "float",
                                                },
                                            },
                                            "default": 0.0,
                                        },
                                    },
                                    "cost_per_hire": {
                                        "type": "model-field",
                                        "schema": {
                                            "type": "default",
                                            "schema": {
                                                "type": "function-before",
                                                "function": {
                                                    "type": "no-info",
                                                    "function": values.money,
                                                },
                                                "schema": {
                                                    "type": "float",
                                                },
                                            },
                                            "default": 0.0,
                                        },
                                    },
                                    "avoidable": {
                                        "type": "model-field",
                                        "schema": {
                                            "type": "default",
                                            "schema": {
                                                "type": "bool",
                                            },
                                            "default": True,
                                        },
                                    },
                                },
                                "model_name": "StaffRole",
                                "computed_fields": [],
                            },
                            "custom_init": False,
                            "root_model": False,
                            "config": {
                                "extra_fields_behavior": "forbid",
                                "validate_default": False,
                                "title": "StaffRole",
                            },
                        },
                        "min_length": 1,
                    },
                },
                "workload": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "nullable",
                            "schema": {
                                "type": "model",
                                "cls": records.Workload,
                                "schema": {
                                    "type": "model-fields",
                                    "fields": {
                                        "unit": {
                                            "type": "model-field",
                                            "schema": {
                                                "type": "default",
                                                "schema": {
                                                    "type": "str",
                                                    "min_length": 1,
                                                },
                                                "default": "unit",
                                            },
                                        },
                                        "monthly_volume": {
                                            "type": "model-field",
                                            "schema": {
                                                "type": "function-before",
                                                "function": {
                                                    "type": "no-info",
                                                    "function": values.count,
                                                },
                                                "schema": {
                                                    "type": "float",
                                                },
                                            },
                                        },
                                        "seasonality": {
                                            "type": "model-field",
                                            "schema": {
                                                "type": "default",
                                                "schema": {
                                                    "type": "function-before",
                                                    "function": {
                                                        "type": "no-info",
                                                        "function": values.twelve,
                                                    },
                                                    "schema": {
                                                        "type": "list",
                                                        "items_schema": {
                                                            "type": "function-before",
                                                            "function": {
                                                                "type": "no-info",
                                                                "function": values.count,
                                                            },
                                                            "schema": {
                                                                "type": "float",
                                                            },
                                                        },
                                                        "min_length": 12,
                                                        "max_length": 12,
                                                    },
                                                },
                                                "default_factory": values.twelve_ones,
                                                "default_factory_takes_data": False,
                                            },
                                        },
                                        "growth_rate": {
                                            "type": "model-field",
                                            "schema": {
                                                "type": "default",
                                                "schema": {
                                                    "type": "function-before",
                                                    "function": {
                                                        "type": "no-info",
                                                        "function": values.Bounded('rate', -0.5, 1.0, False, False),
                                                    },
                                                    "schema": {
                                                        "type": "float",
                                                    },
                                                },
                                                "default": 0.0,
                                            },
                                        },
                                    },
                                    "model_name": "Workload",
                                    "computed_fields": [],
                                },
                                "custom_init": False,
                                "root_model": False,
                                "config": {
                                    "extra_fields_behavior": "forbid",
                                    "validate_default": False,
                                    "title": "Workload",
                                },
                            },
                        },
                        "default": None,
                    },
                },
                "variable_costs": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "list",
                            "items_schema": {
                                "type": "model",
                                "cls": records.VariableCost,
                                "schema": {
                                    "type": "model-fields",
                                    "fields": {
                                        "name": {
                                            "type": "model-field",
                                            "schema": {
                                                "type": "str",
                                                "min_length": 1,
                                            },
                                        },
                                        "per_unit": {
                                            "type": "model-field",
                                            "schema": {
                                                "type": "function-before",
                                                "function": {
                                                    "type": "no-info",
                                                    "function": values.money,
                                                },
                                                "schema": {
                                                    "type": "float",
                                                },
                                            },
                                        },
                                        "avoidable": {
                                            "type": "model-field",
                                            "schema": {
                                                "type": "default",
                                                "schema": {
                                                    "type": "bool",
                                                },
                                                "default": True,
                                            },
                                        },
                                    },
                                    "model_name": "VariableCost",
                                    "computed_fields": [],
                                },
                                "custom_init": False,
                                "root_model": False,
                                "config": {
                                    "extra_fields_behavior": "forbid",
                                    "validate_default": False,
                                    "title": "VariableCost",
                                },
                            },
                        },
                        "default_factory": list,
                        "default_factory_takes_data": False,
                    },
                },
                "overheads": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "list",
                            "items_schema": {
                                "type": "function-after",
                                "function": {
                                    "type": "no-info",
                                    "function": records.Overhead.checked,
                                },
                                "schema": {
                                    "type": "model",
                                    "cls": records.Overhead,
                                    "schema": {
                                        "type": "model-fields",
                                        "fields": {
                                            "name": {
                                                "type": "model-field",
                                                "schema": {
                                                    "type": "str",
                                                    "min_length": 1,
                                                },
                                            },
                                            "monthly": {
                                                "type": "model-field",
                                                "schema": {
                                                    "type": "default",
                                                    "schema": {
                                                        "type": "nullable",
                                                        "schema": {
                                                            "type": "function-before",
                                                            "function": {
                                                                "type": "no-info",
                                                                "function": values.money,
                                                            },
                                                            "schema": {
                                                                "type": "float",
                                                            },
                                                        },
                                                    },
                                                    "default": None,
                                                },
                                            },
                                            "annual": {
                                                "type": "model-field",
                                                "schema": {
                                                    "type": "default",
                                                    "schema": {
                                                        "type": "nullable",
                                                        "schema": {
                                                            "type": "function-before",
                                                            "function": {
                                                                "type": "no-info",
                                                                "function": values.money,
                                                            },
                                                            "schema": {
                                                                "type": "float",
                                                            },
                                                        },
                                                    },
                                                    "default": None,
                                                },
                                            },
                                            "per_head_monthly": {
                                                "type": "model-field",
                                                "schema": {
                                                    "type": "default",
                                                    "schema": {
                                                        "type": "nullable",
                                                        "schema": {
                                                            "type": "function-before",
                                                            "function": {
                                                                "type": "no-info",
                                                                "function": values.money,
                                                            },
                                                            "schema": {
                                                                "type": "float",
                                                            },
                                                        },
                                                    },
                                                    "default": None,
                                                },
                                            },
                                            "avoidable": {
                                                "type": "model-field",
                                                "schema": {
                                                    "type": "default",
                                                    "schema": {
                                                        "type": "bool",
                                                    },
                                                    "default": True,
                                                },
                                            },
                                        },
                                        "model_name": "Overhead",
                                        "computed_fields": [],
                                    },
                                    "custom_init": False,
                                    "root_model": False,
                                    "config": {
                                        "extra_fields_behavior": "forbid",
                                        "validate_default": False,
                                        "title": "Overhead",
                                    },
                                },
                            },
                        },
                        "default_factory": list,
                        "default_factory_takes_data": False,
                    },
                },
                "one_time": {
                    "type": "model-field",
                    "schema": {
                        "type": "default",
                        "schema": {
                            "type": "list",
                            "items_schema": {
                                "type": "model",
                                "cls": records.OneTime,
                                "schema": {
                                    "type": "model-fields",
                                    "fields": {
                                        "name": {
                                            "type": "model-field",
                                            "schema": {
                                                "type": "str",
                                                "min_length": 1,
                                            },
                                        },
                                        "amount": {
                                            "type": "model-field",
                                            "schema": {
                                                "type": "function-before",
                                                "function": {
                                                    "type": "no-info",
                                                    "function": values.money,
                                                },
                                                "schema": {
                                                    "type": "float",
                                                },
                                            },
                                        },
                                        "month": {
                                            "type": "model-field",
                                            "schema": {
                                                "type": "default",
                                                "schema": {
                                                    "type": "function-after",
                                                    "function": {
                                                        "type": "no-info",
                                                        "function": values.WholeIn(0, None),
                                                    },
                                                    "schema": {
                                                        "type": "function-before",
                                                        "function": {
                                                            "type": "no-info",
                                                            "function": values.whole,
                                                        },
                                                        "schema": {
                                                            "type": "int",
                                                        },
                                                    },
                                                },
                                                "default": 0,
                                            },
                                        },
                                        "avoidable": {
                                            "type": "model-field",
                                            "schema": {
                                                "type": "default",
                                                "schema": {
                                                    "type": "bool",
                                                },
                                                "default": True,
                                            },
                                        },
                                    },
                                    "model_name": "OneTime",
                                    "computed_fields": [],
                                },
                                "custom_init": False,
                                "root_model": False,
                                "config": {
                                    "extra_fields_behavior": "forbid",
                                    "validate_default": False,
                                    "title": "OneTime",
                                },
                            },
                        },
                        "default_factory": list,
                        "default_factory_takes_data": False,
                    },
                },
            },
            "model_name": "InHouse",
            "computed_fields": [],
        },
        "custom_init": False,
        "root_model": False,
        "config": {
            "extra_fields_behavior": "forbid",
            "validate_default": False,
            "title": "InHouse",
        },
    },
}

VENDOR: Any = {
    "type": "model",
    "cls": records.Vendor,
    "schema": {
        "type": "model-fields",
        "fields": {
            "kind": {
                "type": "model-field",
                "schema": {
                    "type": "default",
                    "schema": {
                        "type": "literal",
                        "expected": [
                            "vendor",
                        ],
                    },
                    "default": "vendor",
                },
            },
            "name": {
                "type": "model-field",
                "schema": {
                    "type": "str",
                    "min_length": 1,
                },
            },
            "currency": {
                "type": "model-field",
                "schema": {
                    "type": "default",
                    "schema": {
                        "type": "nullable",
                        "schema": {
                            "type": "str",
                            "pattern": "^[A-Z]{3}$",
                        },
                    },
                    "default": None,
                },
            },
            "fx_rate": {
                "type": "model-field",
                "schema": {
                    "type": "default",
                    "schema": {
                        "type": "nullable",
                        "schema": {
                            "type": "function-before",
                            "function": {
                                "type": "no-info",
                                "function": values.Bounded('number', 0.0, math.inf, True, False),
                            },
                            "schema": {
                                "type": "float",
                            },
                        },
                    },
                    "default": None,
                },
            },
            "scope": {
                "type": "model-field",
                "schema": {
                    "type": "default",
                    "schema": {
                        "type": "function-before",
                        "function": {
                            "type": "no-info",
                            "function": values.Bounded('rate', 0.0, 1.0, True, False),
                        },
                        "schema": {
                            "type": "float",
                        },
                    },
                    "default": 1.0,
                },
            },
            "annual_escalation": {
                "type": "model-field",
                "schema": {
                    "type": "default",
                    "schema": {
                        "type": "function-before",
                        "function": {
                            "type": "no-info",
                            "function": values.Bounded('rate', -0.5, 1.0, False, False),
                        },
                        "schema": {
                            "type": "float",
                        },
                    },
                    "default": 0.0,
                },
            },
            "minimum_monthly_fee": {
                "type": "model-field",
                "schema": {
                    "type": "default",
                    "schema": {
                        "type": "function-before",
                        "function": {
                            "type": "no-info",
                            "function": values.money,
                        },
                        "schema": {
                            "type": "float",
                        },
                    },
                    "default": 0.0,
                },
            },
            "pricing": {
                "type": "model-field",
                "schema": {
                    "type": "list",
                    "items_schema": {
                        "type": "function-after",
                        "function": {
                            "type": "no-info",
                            "function": records.Charge.checked,
                        },
                        "schema": {
                            "type": "model",
                            "cls": records.Charge,
                            "schema": {
                                "type": "model-fields",
                                "fields": {
                                    "name": {
                                        "type": "model-field",
                                        "schema": {
                                            "type": "str",
                                            "min_length": 1,
                                        },
                                    },
                                    "monthly": {
                                        "type": "model-field",
                                        "schema": {
                                            "type": "default",
                                            "schema": {
                                                "type": "nullable",
                                                "schema": {
                                                    "type": "function-before",
                                                    "function": {
                                                        "type": "no-info",
                                                        "function": values.money,
                                                    },
                                                    "schema": {
                                                        "type": "float",
                                                    },
                                                },
                                            },
                                            "default": None,
                                        },
                                    },
                                    "per_fte_month": {
                                        "type": "model-field",
                                        "schema": {
                                            "type": "default",
                                            "schema": {
                                                "type": "nullable",
                                                "schema": {
                                                    "type": "function-before",
                                                    "function": {
                                                        "type": "no-info",
                                                        "function": values.money,
                                                    },
                                                    "schema": {
                                                        "type": "float",
                                                    },
                                                },
                                            },
                                            "default": None,
                                        },
                                    },
                                    "fte": {
                                        "type": "model-field",
                                        "schema": {
                                            "type": "default",
                                            "schema": {
                                                "type": "nullable",
                                                "schema": {
                                                    "type": "function-before",
                                                    "function": {
                                                        "type": "no-info",
                                                        "function": values.count,
                                                    },
                                                    "schema": {
                                                        "type": "float",
                                                    },
                                                },
                                            },
                                            "default": None,
                                        },
                                    },
                                    "per_hour": {
                                        "type": "model-field",
                                        "schema": {
                                            "type": "default",
                                            "schema": {
                                                "type": "nullable",
                                                "schema": {
                                                    "type": "function-before",
                                                    "function": {
                                                        "type": "no-info",
                                                        "function": values.money,
                                                    },
                                                    "schema": {
                                                        "type": "float",
                                                    },
                                                },
                                            },
                                            "default": None,
                                        },
                                    },
                                    "hours_per_month": {
                                        "type": "model-field",
                                        "schema": {
                                            "type": "default",
                                            "schema": {
                                                "type": "nullable",
                                                "schema": {
                                                    "type": "function-before",
                                                    "function": {
                                                        "type": "no-info",
                                                        "function": values.count,
                                                    },
                                                    "schema": {
                                                        "type": "float",
                                                    },
                                                },
                                            },
                                            "default": None,
                                        },
                                    },
                                    "per_unit": {
                                        "type": "model-field",
                                        "schema": {
                                            "type": "default",
                                            "schema": {
                                                "type": "nullable",
                                                "schema": {
                                                    "type": "function-before",
                                                    "function": {
                                                        "type": "no-info",
                                                        "function": values.money,
                                                    },
                                                    "schema": {
                                                        "type": "float",
                                                    },
                                                },
                                            },
                                            "default": None,
                                        },
                                    },
                                    "tiers": {
                                        "type": "model-field",
                                        "schema": {
                                            "type": "default",
                                            "schema": {
                                                "type": "nullable",
                                                "schema": {
                                                    "type": "list",
                                                    "items_schema": {
                                                        "type": "model",
                                                        "cls": records.Tier,
                                                        "schema": {
                                                            "type": "model-fields",
                                                            "fields": {
                                                                "up_to": {
                                                                    "type": "model-field",
                                                                    "schema": {
                                                                        "type": "default",
                                                                        "schema": {
                                                                            "type": "nullable",
                                                                            "schema": {
                                                                                "type": "function-before",
                                                                                "function": {
                                                                                    "type": "no-info",
                                                                                    "function": values.count,
                                                                                },
                                                                                "schema": {
                                                                                    "type": "float",
                                                                                },
                                                                            },
                                                                        },
                                                                        "default": None,
                                                                    },
                                                                },
                                                                "per_unit": {
                                                                    "type": "model-field",
                                                                    "schema": {
                                                                        "type": "function-before",
                                                                        "function": {
                                                                            "type": "no-info",
                                                                            "function": values.money,
                                                                        },
                                                                        "schema": {
                                                                            "type": "float",
                                                                        },
                                                                    },
                                                                },
                                                            },
                                                            "model_name": "Tier",
                                                            "computed_fields": [],
                                                        },
                                                        "custom_init": False,
                                                        "root_model": False,
                                                        "config": {
                                                            "extra_fields_behavior": "forbid",
                                                            "validate_default": False,
                                                            "title": "Tier",
                                                        },
                                                    },
                                                    "min_length": 1,
                                                },
                                            },
                                            "default": None,
                                        },
                                    },
                                    "tier_mode": {
                                        "type": "model-field",
                                        "schema": {
                                            "type": "default",
                                            "schema": {
                                                "type": "nullable",
                                                "schema": {
                                                    "type": "literal",
                                                    "expected": [
                                                        "graduated",
                                                        "volume",
                                                    ],
                                                },
                                            },
                                            "default": None,
                                        },
                                    },
                                },
                                "model_name": "Charge",
                                "computed_fields": [],
                            },
                            "custom_init": False,
                            "root_model": False,
                            "config": {
                                "extra_fields_behavior": "forbid",
                                "validate_default": False,
                                "title": "Charge",
                            },
                        },
                    },
                    "min_length": 1,
                },
            },
            "sla_credit_rate": {
                "type": "model-field",
                "schema": {
                    "type": "default",
                    "schema": {
                        "type": "function-before",
                        "function": {
                            "type": "no-info",
                            "function": values.Bounded('rate', 0.0, 1.0, False, False),
                        },
                        "schema": {
                            "type": "float",
                        },
                    },
                    "default": 0.0,
                },
            },
            "governance_rate": {
                "type": "model-field",
                "schema": {
                    "type": "default",
                    "schema": {
                        "type": "function-before",
                        "function": {
                            "type": "no-info",
                            "function": values.Bounded('rate', 0.0, 1.0, False, False),
                        },
                        "schema": {
                            "type": "float",
                        },
                    },
                    "default": 0.0,
                },
            },
            "risk_contingency_rate": {
                "type": "model-field",
                "schema": {
                    "type": "default",
                    "schema": {
                        "type": "function-before",
                        "function": {
                            "type": "no-info",
                            "function": values.Bounded('rate', 0.0, 1.0, False, False),
                        },
                        "schema": {
                            "type": "float",
                        },
                    },
                    "default": 0.0,
                },
            },
            "retained_staff": {
                "type": "model-field",
                "schema": {
                    "type": "default",
                    "schema": {
                        "type": "list",
                        "items_schema": {
                            "type": "model",
                            "cls": records.Role,
                            "schema": {
                                "type": "model-fields",
                                "fields": {
                                    "role": {
                                        "type": "model-field",
                                        "schema": {
                                            "type": "str",
                                            "min_length": 1,
                                        },
                                    },
                                    "headcount": {
                                        "type": "model-field",
                                        "schema": {
                                            "type": "function-before",
                                            "function": {
                                                "type": "no-info",
                                                "function": values.count,
                                            },
                                            "schema": {
                                                "type": "float",
                                            },
                                        },
                                    },
                                    "annual_salary": {
                                        "type": "model-field",
                                        "schema": {
                                            "type": "function-before",
                                            "function": {
                                                "type": "no-info",
                                                "function": values.money,
                                            },
                                            "schema": {
                                                "type": "float",
                                            },
                                        },
                                    },
                                    "benefits_rate": {
                                        "type": "model-field",
                                        "schema": {
                                            "type": "default",
                                            "schema": {
                                                "type": "function-before",
                                                "function": {
                                                    "type": "no-info",
                                                    "function": values.Bounded('rate', 0.0, 2.0, False, False),
                                                },
                                                "schema": {
                                                    "type": "float",
                                                },
                                            },
                                            "default": 0.0,
                                        },
                                    },
                                    "benefits_per_head_annual": {
                                        "type": "model-field",
                                        "schema": {
                                            "type": "default",
                                            "schema": {
                                                "type": "function-before",
                                                "function": {
                                                    "type": "no-info",
                                                    "function": values.money,
                                                },
                                                "schema": {
                                                    "type": "float",
                                                },
                                            },
                                            "default": 0.0,
                                        },
                                    },
                                    "time_off_days": {
                                        "type": "model-field",
                                        "schema": {
                                            "type": "default",
                                            "schema": {
                                                "type": "function-before",
                                                "function": {
                                                    "type": "no-info",
                                                    "function": values.Bounded('number', 0.0, 366.0, False, False),
                                                },
                                                "schema": {
                                                    "type": "float",
                                                },
                                            },
                                            "default": 0.0,
                                        },
                                    },
                                    "attrition_rate": {
                                        "type": "model-field",
                                        "schema": {
                                            "type": "default",
                                            "schema": {
                                                "type": "function-before",
                                                "function": {
                                                    "type": "no-info",
                                                    "function": values.Bounded('rate', 0.0, 5.0, False, False),
                                                },
                                                "schema": {
                                                    "type": "float",
                                                },
                                            },
                                            "default": 0.0,
                                        },
                                    },
                                    "cost_per_hire": {
                                        "type": "model-field",
                                        "schema": {
                                            "type": "default",
                                            "schema": {
                                                "type": "function-before",
                                                "function": {
                                                    "type": "no-info",
                                                    "function": values.money,
                                                },
                                                "schema": {
                                                    "type": "float",
                                                },
                                            },
                                            "default": 0.0,
                                        },
                                    },
                                },
                                "model_name": "Role",
                                "computed_fields": [],
                            },
                            "custom_init": False,
                            "root_model": False,
                            "config": {
                                "extra_fields_behavior": "forbid",
                                "validate_default": False,
                                "title": "Role",
                            },
                        },
                    },
                    "default_factory": list,
                    "default_factory_takes_data": False,
                },
            },
            "transition": {
                "type": "model-field",
                "schema": {
                    "type": "default",
                    "schema": {
                        "type": "model",
                        "cls": records.Transition,
                        "schema": {
                            "type": "model-fields",
                            "fields": {
                                "parallel_run_months": {
                                    "type": "model-field",
                                    "schema": {
                                        "type": "default",
                                        "schema": {
                                            "type": "function-after",
                                            "function": {
                                                "type": "no-info",
                                                "function": values.WholeIn(0, None),
                                            },
                                            "schema": {
                                                "type": "function-before",
                                                "function": {
                                                    "type": "no-info",
                                                    "function": values.whole,
                                                },
                                                "schema": {
                                                    "type": "int",
                                                },
                                            },
                                        },
                                        "default": 0,
                                    },
                                },
                                "costs": {
                                    "type": "model-field",
                                    "schema": {
                                        "type": "default",
                                        "schema": {
                                            "type": "list",
                                            "items_schema": {
                                                "type": "model",
                                                "cls": records.TransitionCost,
                                                "schema": {
                                                    "type": "model-fields",
                                                    "fields": {
                                                        "name": {
                                                            "type": "model-field",
                                                            "schema": {
                                                                "type": "str",
                                                                "min_length": 1,
                                                            },
                                                        },
                                                        "amount": {
                                                            "type": "model-field",
                                                            "schema": {
                                                                "type": "function-before",
                                                                "function": {
                                                                    "type": "no-info",
                                                                    "function": values.money,
                                                                },
                                                                "schema": {
                                                                    "type": "float",
                                                                },
                                                            },
                                                        },
                                                        "currency": {
                                                            "type": "model-field",
                                                            "schema": {
                                                                "type": "default",
                                                                "schema": {
                                                                    "type": "nullable",
                                                                    "schema": {
                                                                        "type": "str",
                                                                        "pattern": "^[A-Z]{3}$",
                                                                    },
                                                                },
                                                                "default": None,
                                                            },
                                                        },
                                                        "month": {
                                                            "type": "model-field",
                                                            "schema": {
                                                                "type": "default",
                                                                "schema": {
                                                                    "type": "function-after",
                                                                    "function": {
                                                                        "type": "no-info",
                                                                        "function": values.WholeIn(0, None),
                                                                    },
                                                                    "schema": {
                                                                        "type": "function-before",
                                                                        "function": {
                                                                            "type": "no-info",
                                                                            "function": values.whole,
                                                                        },
                                                                        "schema": {
                                                                            "type": "int",
                                                                        },
                                                                    },
                                                                },
                                                                "default": 0,
                                                            },
                                                        },
                                                    },
                                                    "model_name": "TransitionCost",
                                                    "computed_fields": [],
                                                },
                                                "custom_init": False,
                                                "root_model": False,
                                                "config": {
                                                    "extra_fields_behavior": "forbid",
                                                    "validate_default": False,
                                                    "title": "TransitionCost",
                                                },
                                            },
                                        },
                                        "default_factory": list,
                                        "default_factory_takes_data": False,
                                    },
                                },
                            },
                            "model_name": "Transition",
                            "computed_fields": [],
                        },
                        "custom_init": False,
                        "root_model": False,
                        "config": {
                            "extra_fields_behavior": "forbid",
                            "validate_default": False,
                            "title": "Transition",
                        },
                    },
                    "validate_default": True,
                    "default": {},
                },
            },
        },
        "model_name": "Vendor",
        "computed_fields": [],
    },
    "custom_init": False,
    "root_model": False,
    "config": {
        "extra_fields_behavior": "forbid",
        "validate_default": False,
        "title": "Vendor",
    },
}
