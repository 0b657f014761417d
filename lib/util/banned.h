/* SPDX-License-Identifier: Apache-2.0 */
/*
 * banned.h — functions kensa code must not call (after git's banned.h).
 *
 * Each is either unbounded (strcpy, strcat, sprintf, vsprintf, gets), hides errors (atoi,
 * atol), or keeps hidden state (strtok). Use the ks_buf helpers, snprintf, strtol/strtoull
 * with end-pointer checks, or explicit tokenizing instead. Included by util.h, so every
 * library file gets it.
 */
#ifndef KS_BANNED_H
#define KS_BANNED_H

#define KS_BANNED(func) sorry_##func##_is_a_banned_function

#undef strcpy
#define strcpy(x, y) KS_BANNED(strcpy)
#undef strcat
#define strcat(x, y) KS_BANNED(strcat)
#undef sprintf
#define sprintf(...) KS_BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) KS_BANNED(vsprintf)
#undef strtok
#define strtok(x, y) KS_BANNED(strtok)
#undef atoi
#define atoi(x) KS_BANNED(atoi)
#undef atol
#define atol(x) KS_BANNED(atol)
#undef gets
#define gets(x) KS_BANNED(gets)

#endif
