#!/bin/sh
# Installs into a scratch prefix with `make install`, then compiles and runs a C program against the
# installed library through pkg-config, once dynamically (found through its soname) and once static.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
make -s -C "$top" install PREFIX="$tmp/prefix" >/dev/null
export PKG_CONFIG_PATH="$tmp/prefix/lib/pkgconfig"
test "$(pkg-config --modversion smtpreply)" = "$(sed -n 's/^version = "\(.*\)"/\1/p' "$top/Cargo.toml" | head -n 1)"
for f in include/smtpreply.h lib/libsmtpreply.a lib/libsmtpreply.so lib/pkgconfig/smtpreply.pc; do
  test -e "$tmp/prefix/$f" || { echo "install-check: $f was not installed"; exit 1; }
done
test -L "$tmp/prefix/lib/libsmtpreply.so.0" || { echo "install-check: soname link missing"; exit 1; }
cat > "$tmp/prog.c" <<'C'
#include <smtpreply.h>
#include <stdio.h>
#include <string.h>
int main(void) {
    smtpreply_code_info info;
    if (smtpreply_code_lookup(550, &info) != SMTPREPLY_OK) return 1;
    if (strcmp(smtpreply_version(), SMTPREPLY_VERSION_STRING) != 0) return 2;
    printf("%s\n", info.text);
    return 0;
}
C
cc -std=c99 -Wall -Wextra -Werror -pedantic $(pkg-config --cflags smtpreply) "$tmp/prog.c" -o "$tmp/prog-shared" $(pkg-config --libs smtpreply)
LD_LIBRARY_PATH="$tmp/prefix/lib" "$tmp/prog-shared" | grep -q "mailbox unavailable"
objdump -p "$tmp/prog-shared" | grep -q 'NEEDED.*libsmtpreply.so.0' || { echo "install-check: the program does not link the soname"; exit 1; }
cc -std=c99 -Wall -Wextra -Werror -pedantic $(pkg-config --cflags smtpreply) "$tmp/prog.c" -o "$tmp/prog-static" \
   "$tmp/prefix/lib/libsmtpreply.a" $(pkg-config --libs-only-other --static smtpreply) $(pkg-config --static --libs-only-l smtpreply | sed 's/-lsmtpreply//')
"$tmp/prog-static" | grep -q "mailbox unavailable"
echo "install-check: make install, pkg-config, shared (soname) and static linking work"
