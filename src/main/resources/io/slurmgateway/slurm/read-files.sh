# Reads from each file given as "path offset max" triples: prints the number of bytes read (or -1 for a missing
# file) on a line, then the bytes. The bytes go through a temporary file so that the count printed is exactly what
# follows, even when the file changes while it is read. Run as: bash -c "$(cat read-files.sh)" name path offset max...
chunk=$(mktemp) || exit 1
trap 'rm -f "$chunk"' EXIT
while [ $# -ge 3 ]; do
  if [ -f "$1" ]; then
    tail -c +$(($2 + 1)) -- "$1" 2>/dev/null | head -c "$3" > "$chunk"
    wc -c < "$chunk"
    cat "$chunk"
  else
    echo -1
  fi
  shift 3
done
