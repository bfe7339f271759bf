// libargon2, the reference implementation (RFC 9106): checks the console's Argon2 password hashes.
#include <argon2.h>
