#define _POSIX_C_SOURCE 200809L
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

lsim_status lsim_outfile_backup(const char *final_path, char *backup, size_t backup_size)
{
    if (backup_size) backup[0] = '\0';
    struct stat info;
    if (lstat(final_path, &info) != 0) return LSIM_OK; /* nothing to keep */
    size_t size = strlen(final_path) + 32;
    char *name = malloc(size);
    if (!name) return lsim_fail(LSIM_ERR_RUN, "out of memory");
    for (unsigned n = 1; n < 100000u; ++n) {
        snprintf(name, size, "%s.~%u~", final_path, n);
        if (lstat(name, &info) == 0) continue;
        if (rename(final_path, name) != 0) {
            lsim_status st = lsim_fail(LSIM_ERR_RUN, "cannot keep the existing '%s' as '%s': %s", final_path, name,
                                       strerror(errno));
            free(name);
            return st;
        }
        if (backup_size) snprintf(backup, backup_size, "%s", name);
        free(name);
        return LSIM_OK;
    }
    free(name);
    return lsim_fail(LSIM_ERR_RUN, "cannot keep the existing '%s': 99,999 numbered backups exist beside it", final_path);
}

lsim_status lsim_outfile_lock_take(lsim_outfile_lock *lock, const char *path, const char *what)
{
    lock->fd = -1;
    size_t size = strlen(path) + sizeof ".lock";
    lock->path = malloc(size);
    if (!lock->path) return lsim_fail(LSIM_ERR_RUN, "out of memory");
    snprintf(lock->path, size, "%s.lock", path);
    int fd = open(lock->path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        lsim_status st = lsim_fail(LSIM_ERR_RUN, "cannot make the lock file '%s' of %s '%s': %s", lock->path, what,
                                   path, strerror(errno));
        free(lock->path);
        lock->path = NULL;
        return st;
    }
    struct flock fl;
    memset(&fl, 0, sizeof fl);
    fl.l_type = F_WRLCK;
    fl.l_whence = SEEK_SET;
    if (fcntl(fd, F_SETLK, &fl) != 0) {
        struct flock holder = fl;
        long pid = fcntl(fd, F_GETLK, &holder) == 0 && holder.l_type != F_UNLCK ? (long)holder.l_pid : -1;
        lsim_status st = lsim_fail(LSIM_ERR_INPUT,
                                   "another lunarsim run (pid %ld) is writing %s '%s' (lock '%s'); wait for it to end "
                                   "or choose another path",
                                   pid, what, path, lock->path);
        close(fd);
        free(lock->path);
        lock->path = NULL;
        return st;
    }
    lock->fd = fd;
    return LSIM_OK;
}

void lsim_outfile_lock_release(lsim_outfile_lock *lock)
{
    if (lock->fd >= 0) {
        unlink(lock->path);
        close(lock->fd);
    }
    lock->fd = -1;
    free(lock->path);
    lock->path = NULL;
}
