#!/usr/bin/env bash
# Builds the bundle, fetches Keycloak from Maven Central, and starts it on http://localhost:8080
# with the crm realm. Google / Microsoft / CRM settings come from the environment (README);
# whatever is not set is played by the test stand-ins (demo mode). Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")"

./mvnw -B -q -ntp -DskipTests package
kc_home=$(ls -d integration-tests/target/keycloak-*/ | head -n 1)
exec java -cp "test-support/target/classes:$(cat test-support/target/demo.classpath)" \
  dev.crmsso.testsupport.DemoMain "${kc_home%/}" realm-export/src/main/resources/crm-realm.json
