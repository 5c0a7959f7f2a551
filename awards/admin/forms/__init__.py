"""The admin shell's forms, one module per topic."""
