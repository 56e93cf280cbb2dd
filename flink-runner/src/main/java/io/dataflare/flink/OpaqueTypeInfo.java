package io.dataflare.flink;

import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * Flink's type information for a type Flink sees as one opaque field, moved by the serializer its subclass makes
 * (never by Kryo or Flink's POJO analysis): not a key, not a tuple, equal to every instance of its own class.
 */
abstract class OpaqueTypeInfo<T> extends TypeInformation<T> {
    private static final long serialVersionUID = 1L;
    private final Class<T> type;
    private final String name;

    OpaqueTypeInfo(Class<T> type, String name) {
        this.type = type;
        this.name = name;
    }

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<T> getTypeClass() {
        return type;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public String toString() {
        return name;
    }

    @Override
    public boolean equals(Object o) {
        return canEqual(o);
    }

    @Override
    public int hashCode() {
        return getClass().hashCode();
    }

    @Override
    public boolean canEqual(Object o) {
        return o != null && o.getClass() == getClass();
    }
}
