package dev.recur.core.io.pickle;

/**
 * What a pickle may do beyond building strings, numbers, tuples, lists and dicts: name a global, call it, load a
 * persistent id, set an object's state. The unpickler asks these hooks; each either returns a value or throws a
 * {@link PickleRefusal} saying why it is not allowed, which the unpickler reports with the file and the offset.
 */
public interface PickleHooks {
    /** The value of {@code GLOBAL module name}; refuses anything not on the caller's list. */
    Object global(String module, String name);

    /** {@code REDUCE}: the value of {@code callable(*args)}, where {@code callable} came from {@link #global}. */
    Object call(Object callable, PickleTuple args);

    /** {@code BINPERSID}: the object a persistent id stands for. */
    Object persistentLoad(Object persistentId);

    /** {@code BUILD}: applies {@code state} to {@code target} (Python's {@code __setstate__} or attribute update). */
    void build(Object target, Object state);
}
