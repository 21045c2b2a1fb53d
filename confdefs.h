/* confdefs.h */
#define PACKAGE_NAME "vsoc"
#define PACKAGE_TARNAME "vsoc"
#define PACKAGE_VERSION "0.1.0"
#define PACKAGE_STRING "vsoc 0.1.0"
#define PACKAGE_BUGREPORT "vsoc-dev@example.invalid"
#define PACKAGE_URL ""
#define PACKAGE "vsoc"
#define VERSION "0.1.0"
