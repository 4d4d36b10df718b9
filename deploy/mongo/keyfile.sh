#!/bin/sh
# One-shot init container: make the replica-set key file MongoDB needs once
# authentication and --replSet are both on (members authenticate each other
# with it, even a set of one). Generated on first start into its own volume,
# never committed; later starts keep it. mongod refuses a key file that
# others can read, and runs as the image's mongodb user (uid 999).
set -eu
f=/keyfile/keyfile
if [ ! -s "$f" ]; then
  umask 077
  # 768 random bytes are 1024 base64 characters, the longest key allowed.
  head -c 768 /dev/urandom | base64 | tr -d '\n' > "$f"
  echo "keyfile: generated"
fi
chown 999:999 "$f"
chmod 400 "$f"
