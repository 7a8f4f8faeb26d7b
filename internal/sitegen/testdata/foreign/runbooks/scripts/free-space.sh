#!/bin/sh
# Removes rotated logs older than a week.
find /var/log -name '*.gz' -mtime +7 -delete
