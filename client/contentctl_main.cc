// contentctl: command-line access to content.v1.ArticleService.

#include <iostream>

#include "client/contentctl.h"
#include "client/mutex_mode.h"

int main(int argc, char** argv) {
  content::DisableMutexDeadlockDetection();
  return content::RunContentctl(argc, argv, std::cout, std::cerr);
}
