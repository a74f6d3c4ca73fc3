#!/usr/bin/env python3
"""Run a program, wait until it prints a line "ready", let it run SECONDS
more, then kill it with SIGKILL (as a sandbox's timeout does).

  kill_when_ready.py SECONDS COMMAND...

Prints "killed by SIGKILL" when it was, or the exit status it had instead;
fails when the program never said "ready" within 60 s.
"""
import signal
import subprocess
import sys
import threading
import time

seconds = float(sys.argv[1])
proc = subprocess.Popen(sys.argv[2:], stdout=subprocess.PIPE, text=True)
ready = threading.Event()


def watch():
    for line in proc.stdout:
        if line.strip() == "ready":
            ready.set()


threading.Thread(target=watch, daemon=True).start()
if not ready.wait(60):
    proc.kill()
    sys.exit("kill_when_ready: the program never printed 'ready'")
time.sleep(seconds)
proc.send_signal(signal.SIGKILL)
status = proc.wait()
print("killed by SIGKILL" if status == -signal.SIGKILL else "exit status %d" % status)
