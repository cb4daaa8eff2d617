# syntax=docker/dockerfile:1
# content-server image: build and unit-test on Debian 12, then a runtime stage
# with only the binaries and their shared libraries.
#
#   docker build -t content-server .
#   docker run -p 50051:50051 -v content-data:/data content-server [--FLAG=VALUE...]

FROM debian:bookworm AS build
RUN apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
      --no-install-recommends \
      cmake g++ make pkg-config \
      libgrpc++-dev libprotobuf-dev protobuf-compiler protobuf-compiler-grpc \
      grpc-proto golang-github-gogo-googleapis-dev \
      librocksdb-dev libyaml-cpp-dev libabsl-dev libidn2-dev libssl-dev \
      libyaml-dev libcpp-httplib-dev libgtest-dev libgmock-dev libbenchmark-dev \
      openssl \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    && cmake --build build -j 2 \
    && cd build \
    # Unit, service and end-to-end tests; those of buf and the Python stubs
    # need tools this stage does not install (make test runs them).
    && ctest --output-on-failure -j 2 -E 'buf_|BufCurl|python_client_test' \
    && strip bin/content-server bin/contentctl

FROM debian:bookworm
RUN apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
      --no-install-recommends \
      libgrpc++1.51 libprotobuf32 librocksdb7.8 libyaml-cpp0.7 libyaml-0-2 \
      libidn2-0 libabsl20220623 libssl3 libcpp-httplib0.11 \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /data content \
    && mkdir /data && chown content /data
COPY --from=build /src/build/bin/content-server /src/build/bin/contentctl \
     /usr/local/bin/
USER content
VOLUME /data
# Defaults by environment, so flags given to `docker run` override them.
ENV CONTENT_LISTEN=0.0.0.0:50051 CONTENT_DATA_DIR=/data \
    CONTENT_METRICS_LISTEN=0.0.0.0:9464
EXPOSE 50051 9464
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
  CMD ["contentctl", "--server", "127.0.0.1:50051", "--timeout", "2", "health"]
ENTRYPOINT ["content-server"]
