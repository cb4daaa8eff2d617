// contentctl: command-line access to content.v1.ArticleService.

#include <iostream>

#include "base/mutex_mode.h"
#include "tools/contentctl/contentctl.h"

int main(int argc, char** argv) {
  content::DisableMutexDeadlockDetection();
  return content::RunContentctl(argc, argv, std::cout, std::cerr);
}
