package io.cdcenabler.infra;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Reads values out of a synthesized template (the maps {@code Template.toJSON()} and {@code findResources} return). */
final class CloudFormation {
    private CloudFormation() {
    }

    /**
     * A value as one string: {@code Fn::Join} joined, {@code Ref} as {@code ${Name}} and {@code Fn::GetAtt} as
     * {@code ${Name.Attribute}}, so that ARNs read like arn:${AWS::Partition}:rds:${AWS::Region}:...:db:*.
     */
    static String render(Object value) {
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof Map<?, ?> map && map.size() == 1) {
            Map.Entry<?, ?> entry = map.entrySet().iterator().next();
            switch (String.valueOf(entry.getKey())) {
                case "Ref":
                    return "${" + entry.getValue() + "}";
                case "Fn::GetAtt":
                    return "${" + ((List<?>) entry.getValue()).stream().map(String::valueOf)
                            .collect(Collectors.joining(".")) + "}";
                case "Fn::Join":
                    List<?> join = (List<?>) entry.getValue();
                    return ((List<?>) join.get(1)).stream().map(CloudFormation::render)
                            .collect(Collectors.joining(String.valueOf(join.get(0))));
                default:
                    break;
            }
        }
        return String.valueOf(value);
    }

    /** A string or a list of values (Action, Resource) as a list of rendered strings. */
    static List<String> strings(Object value) {
        List<String> strings = new ArrayList<>();
        if (value instanceof List<?> list) {
            list.forEach(item -> strings.add(render(item)));
        } else if (value != null) {
            strings.add(render(value));
        }
        return strings;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> properties(Map<String, Object> resource) {
        return (Map<String, Object>) resource.get("Properties");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value) {
        return (List<Object>) value;
    }
}
