"""The edge: reading and writing files. Only this layer (and the CLI) touches the outside world."""
