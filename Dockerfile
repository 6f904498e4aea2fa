# syntax=docker/dockerfile:1
# clovicharts: build the release binary, then run it alone on a slim Debian as a non-root user.
#   docker build -t clovicharts .
#   docker run -p 8966:8966 -v clovicharts-data:/var/lib/clovicharts clovicharts
# Configuration is the environment (docs/configuration.md); charts and the SQLite database live
# in the /var/lib/clovicharts volume. The CPU renderer is used unless a GPU is passed in.

FROM rust:1.92-slim-trixie AS build
WORKDIR /src
# Everything the build embeds: sources, migrations, fonts, shaders, the web app, the docs viewer.
COPY . .
RUN cargo build --release --locked --bin clovicharts \
    && install -m 0755 target/release/clovicharts /usr/local/bin/clovicharts

FROM debian:trixie-slim
# ca-certificates: TLS to an LLM provider or PostgreSQL; nothing else is needed at run time.
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --user-group --home-dir /var/lib/clovicharts \
       --shell /usr/sbin/nologin clovicharts \
    && install -d -o clovicharts -g clovicharts -m 0750 /var/lib/clovicharts
COPY --from=build /usr/local/bin/clovicharts /usr/local/bin/clovicharts
ENV HOST=0.0.0.0 \
    PORT=8966 \
    DATA_DIR=/var/lib/clovicharts \
    CLOVICHARTS_BACKEND=cpu \
    LOG_FORMAT=json
VOLUME ["/var/lib/clovicharts"]
WORKDIR /var/lib/clovicharts
USER 10001:10001
EXPOSE 8966
# /readyz renders a canary chart, writes a probe file and queries the database. The image has no
# curl: bash's /dev/tcp sends the request, and the status line must say 200.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${PORT:-8966} && printf 'GET /readyz HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["/usr/local/bin/clovicharts"]
CMD ["serve"]
