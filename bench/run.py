"""Run every benchmark in turn and print their figures: `make bench`."""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

if __name__ == "__main__":
    failed = 0
    for script in sorted(HERE.glob("bench_*.py")):
        print(f"\n== {script.name} ==", flush=True)
        failed += subprocess.run([sys.executable, str(script)], cwd=HERE.parent).returncode != 0
    # The full load run: 30 judges for three minutes on each database against a running server.
    print("\n== load_judges.py --sessions 30 --seconds 180 ==", flush=True)
    failed += subprocess.run([sys.executable, str(HERE / "load_judges.py"), "--sessions", "30", "--seconds", "180"],
                             cwd=HERE.parent).returncode != 0
    sys.exit(1 if failed else 0)
