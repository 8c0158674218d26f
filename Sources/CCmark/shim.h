#ifndef TIEDOTE_CCMARK_SHIM_H
#define TIEDOTE_CCMARK_SHIM_H
#include <cmark.h>
#endif
