/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's escapes in /proc text files: mangle_path() (fs/seq_file.c) writes each byte of
 * a chosen set as a backslash and three octal digits. mountinfo escapes space, tab, newline and
 * backslash (" \t\n\\", fs/proc_namespace.c); maps and smaps only newline ("\n",
 * fs/proc/task_mmu.c), so there a backslash followed by digits may be the file's own name.
 */
#ifndef DAXTRACE_KERNEL_ESCAPE_H
#define DAXTRACE_KERNEL_ESCAPE_H

#define MOUNTINFO_ESCAPED " \t\n\\"
#define MAPS_ESCAPED "\n"

/*
 * Decodes, in place, every \ooo that stands for a byte of escaped; anything else (another
 * backslash, \000, an octal value the kernel would not have escaped) stays as it is.
 */
void kernel_unescape(char *text, const char *escaped);

#endif /* DAXTRACE_KERNEL_ESCAPE_H */
