/*
 * path.c - home directory, directories, whole-file reads and writes.
 */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

char *
path_home(const char *rel)
{
	const char *home = getenv("HOME");
	struct passwd *pw;

	if (home == NULL || *home == '\0') {
		pw = getpwuid(getuid());
		home = pw != NULL ? pw->pw_dir : "/";
	}
	if (rel == NULL || *rel == '\0')
		return xstrdup(home);
	return xasprintf("%s/%s", home, rel);
}

int
path_mkdirs(const char *path, int mode)
{
	char *p = xstrdup(path);
	struct stat st;

	for (char *s = p + 1; *s != '\0'; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, (mode_t)mode) < 0 && errno != EEXIST) {
			int e = errno;
			free(p);
			errno = e;
			return -1;
		}
		*s = '/';
	}
	if (mkdir(p, (mode_t)mode) < 0 && errno != EEXIST) {
		int e = errno;
		free(p);
		errno = e;
		return -1;
	}
	free(p);
	if (stat(path, &st) < 0)
		return -1;
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return -1;
	}
	return 0;
}

int
path_fsync_dir(const char *path)
{
	int fd, r;

	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	r = fsync(fd);
	if (r < 0 && (errno == EINVAL || errno == EROFS))
		r = 0; /* file systems that cannot sync directories */
	if (close(fd) < 0)
		r = -1;
	return r;
}

int
write_full(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int
read_full(int fd, struct str *str)
{
	for (;;) {
		ssize_t n;

		str_reserve(str, 65536);
		n = read(fd, str->s + str->len, str->cap - str->len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0)
			break;
		str->len += (size_t)n;
		str->s[str->len] = '\0';
	}
	if (str->s == NULL)
		str_append(str, "");
	return 0;
}

int
path_read_file(const char *path, size_t max, char **buf_r, size_t *len_r)
{
	struct str s = STR_INIT;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	if (read_full(fd, &s) < 0) {
		int e = errno;
		close(fd);
		str_free(&s);
		errno = e;
		return -1;
	}
	close(fd);
	if (s.len > max) {
		str_free(&s);
		errno = EFBIG;
		return -1;
	}
	if (len_r != NULL)
		*len_r = s.len;
	*buf_r = str_steal(&s);
	return 0;
}
