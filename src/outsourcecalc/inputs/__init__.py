"""Reading inputs: YAML with positions, the models, validation, input paths."""
