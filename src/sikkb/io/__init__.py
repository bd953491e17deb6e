"""The edge: reading and writing files. Only this layer (and the CLI) touches the outside world."""

from sikkb.io.limits import Limits
from sikkb.io.reader import ReadResult, TableCount, UntypedRow, read_register
from sikkb.io.reader_rules import READER_RULES
from sikkb.io.register_write import write_register_csv, write_register_xlsx
from sikkb.io.templates import FormResult, read_form, write_form_template, write_register_template

__all__ = [
    "READER_RULES",
    "FormResult",
    "Limits",
    "ReadResult",
    "TableCount",
    "UntypedRow",
    "read_form",
    "read_register",
    "write_form_template",
    "write_register_csv",
    "write_register_template",
    "write_register_xlsx",
]
