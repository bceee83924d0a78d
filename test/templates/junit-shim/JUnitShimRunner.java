import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.Test;

/** Runs the {@code @Test} methods of the classes named in {@code args}; exit 1 on any failure. */
public final class JUnitShimRunner {
  public static void main(String[] args) throws Exception {
    int passed = 0;
    int failed = 0;
    for (String className : args) {
      Class<?> type = Class.forName(className);
      for (Method method : type.getDeclaredMethods()) {
        if (!method.isAnnotationPresent(Test.class) || Modifier.isStatic(method.getModifiers())) {
          continue;
        }
        method.setAccessible(true);
        var constructor = type.getDeclaredConstructor();
        constructor.setAccessible(true);
        try {
          method.invoke(constructor.newInstance());
          passed++;
        } catch (InvocationTargetException error) {
          failed++;
          System.out.println("FAIL " + className + "." + method.getName() + ": " + error.getCause());
        }
      }
    }
    System.out.println(passed + " passed, " + failed + " failed");
    System.exit(failed > 0 || passed == 0 ? 1 : 0);
  }
}
