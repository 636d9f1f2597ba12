package dev.crmsso.testsupport;

import java.util.Map;

import org.keycloak.representations.idm.ProtocolMapperRepresentation;

/** The protocol mappers of a myDBR client, as the tests and the benchmark configure them through the admin API. */
public final class MydbrMappers {

    private MydbrMappers() {
    }

    public static ProtocolMapperRepresentation of(String name, String type, Map<String, String> config) {
        ProtocolMapperRepresentation m = new ProtocolMapperRepresentation();
        m.setName(name);
        m.setProtocol("mydbr");
        m.setProtocolMapper(type);
        m.setConfig(config);
        return m;
    }
}
