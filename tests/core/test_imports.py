"""Every web worker imports the app: libraries only one rare page needs are imported there,
so they do not sit in every worker's memory."""
import subprocess
import sys

import pytest

from tests.services import ROOT

# fpdf2 with fontTools: about 25 MB of a worker's resident memory, for certificate downloads.
ONLY_WHERE_USED = ["fpdf", "fontTools"]


@pytest.mark.no_app_context
def test_importing_the_app_leaves_heavy_libraries_unloaded(tmp_path):
    check = ("import sys, wsgi; "
             f"print([name for name in {ONLY_WHERE_USED!r} if name in sys.modules])")
    result = subprocess.run([sys.executable, "-c", check], cwd=ROOT, capture_output=True,
                            text=True, env={"AWARDS_CONFIG": "development",
                                            "INSTANCE_PATH": str(tmp_path), "PATH": ""},
                            check=True)
    assert result.stdout.strip() == "[]"
