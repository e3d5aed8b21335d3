import pytest

from ita.lib.cells import safe_cell


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("＝HYPERLINK(1)", "'＝HYPERLINK(1)"),
        ("+66 2 000", "'+66 2 000"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("สพป.สมุทรสาคร", "สพป.สมุทรสาคร"),
        (96.77, 96.77),
    ],
)
def test_text_a_spreadsheet_would_run_is_quoted_and_nothing_else_changes(value: object, written: object) -> None:
    assert safe_cell(value) == written
