// libxcrypt's crypt_r: checks the console's bcrypt ($2y$, $2b$) and yescrypt password hashes.
#include <crypt.h>
