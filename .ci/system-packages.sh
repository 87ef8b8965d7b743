#!/usr/bin/env bash
# Installs the system packages the tests use, when they are missing.
# Arguments: command:package pairs. As root: apt-get; otherwise, say what to install.
set -euo pipefail

missing=()
for pair in "$@"; do
  command_name=${pair%%:*}
  package=${pair#*:}
  command -v "$command_name" >/dev/null 2>&1 || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q "${missing[@]}"
else
  echo "The tests need these system packages: ${missing[*]}" >&2
  echo "Install them, e.g.: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
