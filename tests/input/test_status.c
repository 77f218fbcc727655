/* The one error rule's message buffer: a message may quote the last one
 * ("context: %s" with lsim_last_error()) without undefined behaviour, and a
 * message is always one line. */
#include <string.h>

#include "lsim_test.h"
#include "status.h"

int main(void)
{
    lsim_fail(LSIM_ERR_INPUT, "inner reason %d", 42);
    lsim_status st = lsim_fail(LSIM_ERR_RUN, "checkpoint 'x.ckpt': %s", lsim_last_error());
    LSIM_CHECK(st == LSIM_ERR_RUN, "lsim_fail returns its code");
    LSIM_CHECK(strcmp(lsim_last_error(), "checkpoint 'x.ckpt': inner reason 42") == 0,
               "a message quoting the previous one reads whole: '%s'", lsim_last_error());
    lsim_fail(LSIM_ERR_INPUT, "two\nlines\r");
    LSIM_CHECK(strcmp(lsim_last_error(), "two lines ") == 0, "newlines become spaces: '%s'", lsim_last_error());
    LSIM_TEST_MAIN_END();
}
