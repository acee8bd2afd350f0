# Reads from each file given as "path offset max" triples: prints the number of bytes it sends (or -1 for a missing
# file) on a line, then exactly that many bytes. The count comes from the file's size before the read, and a job's
# output file only grows, so the bytes that follow are there to be read; they go straight from the file to the
# connection. Run as: bash -c "$(cat read-files.sh)" name path offset max...
while [ $# -ge 3 ]; do
  if [ -f "$1" ] && size=$(stat -L -c %s -- "$1" 2>/dev/null); then
    count=$((size - $2))
    [ "$count" -gt "$3" ] && count=$3
    [ "$count" -lt 0 ] && count=0
    echo "$count"
    if [ "$count" -gt 0 ]; then
      # a file that shrank under the read (it never does for output) is padded, so the framing still holds
      { tail -c +$(($2 + 1)) -- "$1" 2>/dev/null; head -c "$count" /dev/zero; } | head -c "$count"
    fi
  else
    echo -1
  fi
  shift 3
done
