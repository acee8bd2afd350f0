# syntax=docker/dockerfile:1
# Slurm Gateway's container image: built with the Maven wrapper, run on a slim JRE as a non-root user.
#   docker build -t slurm-gateway:0.1.0 .
# The root filesystem may be read-only: the gateway writes only to /app/data (H2, local run directories) and /tmp
# (Tomcat), both volumes. See docs/deployment.md, "Container image".
ARG BUILD_IMAGE=eclipse-temurin:21-jdk
ARG RUNTIME_IMAGE=eclipse-temurin:21-jre

FROM ${BUILD_IMAGE} AS build
WORKDIR /src
# the wrapper and the POM first: the dependency layer is reused until pom.xml changes
COPY mvnw pom.xml ./
COPY .mvn/ .mvn/
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -q dependency:go-offline
COPY src/main/ src/main/
# not offline: the dependency layer may be reused while the cache mount is empty (a new builder, a pruned cache)
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -q -Dmaven.test.skip=true package \
 && java -Djarmode=tools -jar target/slurm-gateway-*.jar extract --layers --launcher --destination /layers

FROM ${RUNTIME_IMAGE}
ARG UID=10001
RUN groupadd --gid "${UID}" gateway \
 && useradd --uid "${UID}" --gid gateway --home-dir /app --no-create-home --shell /usr/sbin/nologin gateway \
 && mkdir -p /app/data /app/config \
 && chown "${UID}:${UID}" /app/data
WORKDIR /app
# one layer per rate of change: libraries change seldom, the application with every build
COPY --from=build /layers/dependencies/ ./
COPY --from=build /layers/spring-boot-loader/ ./
COPY --from=build /layers/snapshot-dependencies/ ./
COPY --from=build /layers/application/ ./
COPY docker/healthcheck.sh /usr/local/bin/gateway-healthcheck
USER ${UID}:${UID}
# the heap follows the container's memory limit; an out-of-memory error ends the JVM so that it is restarted
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=70.0 -XX:+ExitOnOutOfMemoryError" \
    SERVER_PORT=8080
EXPOSE 8080
VOLUME ["/app/data", "/tmp"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 CMD ["/usr/local/bin/gateway-healthcheck"]
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]
