"""The `kvale` command's subcommands, one module per area (`tui.cli` parses)."""
