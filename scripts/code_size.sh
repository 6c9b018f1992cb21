#!/bin/sh
# Fails when a C file is over 500 lines or a function over 50, or when a
# playbook rule's decide_/note_ function writes text (issue 17).
# A file's size is its physical line count (wc -l); a function's is the lines
# from its name to its closing brace, as Universal Ctags reports them
# (--fields=+ne: start and end line). Prints the largest of each either way.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
max_file=${MAX_FILE_LINES:-500}
max_func=${MAX_FUNCTION_LINES:-50}
files=$(git ls-files 'core/*.c' 'plugin/*.c' 'core/**/*.c' 'include/*.h' 'plugin/*.h' 'core/**/*.h' | sort -u)
status=0
echo "largest files (lines):"
wc -l $files | grep -v ' total$' | sort -rn | head -5
over=$(wc -l $files | grep -v ' total$' | awk -v m="$max_file" '$1 > m')
if [ -n "$over" ]; then
    echo "FAIL: files over $max_file lines:"; echo "$over"; status=1
fi
funcs=$(ctags --c-kinds=f --fields=+ne -o - $(echo "$files" | grep '\.c$') |
    awk -F'\t' '{ s = e = 0; for (i = 4; i <= NF; i++) { if ($i ~ /^line:/) s = substr($i, 6); if ($i ~ /^end:/) e = substr($i, 5) } if (s && e) print e - s + 1, $2 ":" s, $1 }' |
    sort -rn)
echo "longest functions (lines):"
echo "$funcs" | head -5
over=$(echo "$funcs" | awk -v m="$max_func" '$1 > m')
if [ -n "$over" ]; then
    echo "FAIL: functions over $max_func lines:"; echo "$over"; status=1
fi
# Rules decide; say_ functions word: no decide_* or note_* writes text.
writers=$(ctags --c-kinds=f --fields=+ne -o - core/playbook/*.c |
    awk -F'\t' '$1 ~ /^(decide|note)_/ { s = e = 0; for (i = 4; i <= NF; i++) { if ($i ~ /^line:/) s = substr($i, 6); if ($i ~ /^end:/) e = substr($i, 5) } print $2, s, e, $1 }' |
    while read -r file s e name; do
        if sed -n "${s},${e}p" "$file" | grep -q 'g_string_\|GString'; then echo "$file:$s $name"; fi
    done)
echo "rule functions (decide_*, note_*): $(ctags --c-kinds=f -x core/playbook/*.c | grep -c '^\(decide\|note\)_')"
if [ -n "$writers" ]; then
    echo "FAIL: rule functions that write text:"; echo "$writers"; status=1
fi
exit $status
