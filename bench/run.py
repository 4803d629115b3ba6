"""Run every benchmark in turn and print their figures: `make bench`."""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

if __name__ == "__main__":
    failed = 0
    # Every bench_*.py, bench_feedback.py and bench_lists.py among them (each builds its own 10,000-work edition).
    for script in sorted(HERE.glob("bench_*.py")):
        print(f"\n== {script.name} ==", flush=True)
        failed += subprocess.run([sys.executable, str(script)], cwd=HERE.parent).returncode != 0
    # The full load run: 30 judges for three minutes on each database against a running server.
    print("\n== load_judges.py --sessions 30 --seconds 180 ==", flush=True)
    failed += (
        subprocess.run(
            [sys.executable, str(HERE / "load_judges.py"), "--sessions", "30", "--seconds", "180"], cwd=HERE.parent
        ).returncode
        != 0
    )
    # With a live pitching session running (pages poll each second), the server now and as before issue 18, side by
    # side: 30 judges, then the realistic 10-judge day (a move every 5-20 s).
    for extra in (["--sessions", "30"], ["--sessions", "10", "--think", "5", "20"]):
        args = [*extra, "--seconds", "120", "--live", "--compare"]
        print(f"\n== load_judges.py {' '.join(args)} ==", flush=True)
        failed += subprocess.run([sys.executable, str(HERE / "load_judges.py"), *args], cwd=HERE.parent).returncode != 0
    sys.exit(1 if failed else 0)
