"""Entry point for spark-submit: ``storywire batch`` on the Spark engine.

    spark-submit --master yarn ... path/to/storywire/batch/submit.py INPUT... --out DIR

spark-submit passes its own master and configuration; this script only adds
``--engine spark``.
"""

import sys

from storywire.batch.commands import batch

if __name__ == "__main__":
    args = sys.argv[1:]
    if "--engine" not in args:
        args += ["--engine", "spark"]
    batch.main(args=args, prog_name="storywire batch")
