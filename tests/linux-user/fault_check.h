/* Shared by the tests of faulting guest accesses (loadfault.c, storefault.c): one
 * printed line per check, and a SIGSEGV handler that records the fault (count, pc,
 * si_addr, si_code) and resumes after the faulting instruction, which must be a
 * 4-byte encoding, or at fault_escape when that is set (a way out of a loop).
 * install_fault_handler() sets it up. */
#ifndef RVX_TESTS_LINUX_USER_FAULT_CHECK_H
#define RVX_TESTS_LINUX_USER_FAULT_CHECK_H

#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>

#include "check.h"

static volatile sig_atomic_t faults;
static volatile uintptr_t fault_pc, fault_addr, fault_escape;
static volatile int fault_code;

static void fault_handler(int sig, siginfo_t *si, void *ucv)
{
    (void)sig;
    ucontext_t *uc = ucv;
    faults++;
    fault_pc = uc->uc_mcontext.__gregs[REG_PC];
    fault_addr = (uintptr_t)si->si_addr;
    fault_code = si->si_code;
    if (fault_escape)
        uc->uc_mcontext.__gregs[REG_PC] = fault_escape;
    else
        uc->uc_mcontext.__gregs[REG_PC] += 4;
}

static void install_fault_handler(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = fault_handler;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);
}

#endif
