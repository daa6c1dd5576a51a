"""Sleeps far past the time limit.  Expected: UNVERIFIED (time limit)."""
import time

time.sleep(3600)
