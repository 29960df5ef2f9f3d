/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DAXTRACE_VERSION_H
#define DAXTRACE_VERSION_H

const char *daxtrace_version(void);

#endif /* DAXTRACE_VERSION_H */
