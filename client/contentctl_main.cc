// contentctl: command-line access to content.v1.ArticleService.

#include <iostream>

#include "client/contentctl.h"

int main(int argc, char** argv) {
  return content::RunContentctl(argc, argv, std::cout, std::cerr);
}
