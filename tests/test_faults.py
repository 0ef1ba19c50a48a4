"""The fault-injection script, small: builds killed at random moments and
concurrent pairs leave a consistent folder and no process behind. The full
run (50 kills, 20 pairs, the whole example) is `python tests/faults/kill_builds.py`;
here the builds are of the example cut short (tests/small_leaflet.py), two editions each."""
import subprocess
import sys

from conftest import REPO
from small_leaflet import write_regional_leaflet


def test_killed_and_concurrent_builds_leave_a_consistent_folder_and_no_process(tmp_path):
    content = write_regional_leaflet(tmp_path / "lumirix")
    result = subprocess.run([sys.executable, REPO / "tests" / "faults" / "kill_builds.py", "--kills", "3",
                             "--pairs", "2", "--regions", "hk,mo", "--seed", "11", "--content", content],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "consistent after a kill: 3 of 3" in result.stdout
    assert "pairs: 2; consistent and both succeeded: 2;" in result.stdout
    assert "leftover processes: 0" in result.stdout and "OK: 0 failure(s)" in result.stdout
