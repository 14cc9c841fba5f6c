/*
 * The version: smtpreply_version() equals SMTPREPLY_VERSION_STRING, equals the MAJOR.MINOR.PATCH
 * macros formatted, and equals the version in Cargo.toml.
 *
 * The Makefile runs the tests from c-examples/, so Cargo.toml is ../Cargo.toml; the environment
 * variable SMTPREPLY_CARGO_TOML names another path when the test runs from elsewhere.
 */
#include "check.h"

#include <smtpreply.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Reads the `version = "..."` of the [package] section into out. Returns 0, or -1 with a message. */
static int cargo_version(const char *path, char *out, size_t out_size) {
    char line[512];
    int in_package = 0;
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        fprintf(stderr, "test_version: cannot open %s (run from c-examples/, or set SMTPREPLY_CARGO_TOML)\n", path);
        return -1;
    }
    while (fgets(line, sizeof line, f) != NULL) {
        char *p = line, *q;
        while (*p == ' ' || *p == '\t') p++;
        if (*p == '[') {
            in_package = strncmp(p, "[package]", 9) == 0;
            continue;
        }
        if (!in_package || strncmp(p, "version", 7) != 0) continue;
        p += 7;
        while (*p == ' ' || *p == '\t') p++;
        if (*p++ != '=') continue;
        while (*p == ' ' || *p == '\t') p++;
        if (*p++ != '"') break;
        q = strchr(p, '"');
        if (q == NULL || (size_t)(q - p) >= out_size) break;
        memcpy(out, p, (size_t)(q - p));
        out[q - p] = '\0';
        fclose(f);
        return 0;
    }
    fclose(f);
    fprintf(stderr, "test_version: no version = \"...\" line in the [package] section of %s\n", path);
    return -1;
}

int main(void) {
    const char *v = smtpreply_version();
    const char *path = getenv("SMTPREPLY_CARGO_TOML");
    char formatted[64], cargo[64];
    unsigned major, minor, patch;
    char extra;

    CHECK(v != NULL);
    CHECK_STR(v, SMTPREPLY_VERSION_STRING);
    /* Static: the same pointer every time. */
    CHECK(smtpreply_version() == v);

    sprintf(formatted, "%d.%d.%d", SMTPREPLY_VERSION_MAJOR, SMTPREPLY_VERSION_MINOR, SMTPREPLY_VERSION_PATCH);
    CHECK_STR(SMTPREPLY_VERSION_STRING, formatted);
    CHECK_STR(v, formatted);
    /* The macros are plain non-negative integers usable in #if. */
#if SMTPREPLY_VERSION_MAJOR < 0 || SMTPREPLY_VERSION_MINOR < 0 || SMTPREPLY_VERSION_PATCH < 0
#error "negative version macro"
#endif
    CHECK(sscanf(v, "%u.%u.%u%c", &major, &minor, &patch, &extra) == 3);
    CHECK_EQ_U(major, SMTPREPLY_VERSION_MAJOR);
    CHECK_EQ_U(minor, SMTPREPLY_VERSION_MINOR);
    CHECK_EQ_U(patch, SMTPREPLY_VERSION_PATCH);

    if (path == NULL || path[0] == '\0') path = "../Cargo.toml";
    CHECK(cargo_version(path, cargo, sizeof cargo) == 0);
    CHECK_STR(cargo, SMTPREPLY_VERSION_STRING);
    CHECK_STR(cargo, v);
    printf("smtpreply %s (header %s, Cargo.toml %s)\n", v, SMTPREPLY_VERSION_STRING, cargo);
    return check_summary("test_version");
}
