# syntax=docker/dockerfile:1
# content-server image: build and unit-test on Debian 12, then a runtime stage
# with only the binaries and their shared libraries.
#
#   docker build -t content-server .
#   docker run -p 50051:50051 -v content-data:/data content-server [--FLAG=VALUE...]

FROM debian:bookworm AS build
COPY deps/debian-build.txt /tmp/
RUN apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
      --no-install-recommends $(sed 's/#.*//' /tmp/debian-build.txt) \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    && cmake --build build -j 2 \
    && cd build \
    # Every test but those labelled with a tool this stage does not install
    # (make test runs them).
    && ctest --output-on-failure -j 2 -LE 'buf|python|etcd' \
    && strip bin/content-server bin/contentctl

FROM debian:bookworm
COPY deps/debian-runtime.txt /tmp/
RUN apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
      --no-install-recommends $(sed 's/#.*//' /tmp/debian-runtime.txt) \
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
