/* The self-checking tests' report: one printed line per check, "NAME: ok" or
 * "NAME: FAILED", and the count of failures for the final line and exit status. */
#ifndef RVX_TESTS_LINUX_USER_CHECK_H
#define RVX_TESTS_LINUX_USER_CHECK_H

#include <stdio.h>

static int failures;
static void check(const char *what, int ok)
{
    printf("%s: %s\n", what, ok ? "ok" : "FAILED");
    failures += !ok;
}

#endif
