package io.cdcenabler.handler;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs one handler the way a Lambda cold start does, for the cold-start benchmark: builds it with its public no-arg
 * constructor, calls it once with the input file and a stub context, and prints one line, {@code RESULT <output>}
 * or {@code ERROR <fully qualified error class>: <message>} (the name the state machine's Catch would match).
 *
 * <p>Usage: {@code java -cp cdc-enabler-lambda.jar io.cdcenabler.handler.LocalInvoke <HandlerClass> <input.json>};
 * a simple class name means one in this package.
 */
public final class LocalInvoke {
    public static final String RESULT = "RESULT ";
    public static final String ERROR = "ERROR ";

    private LocalInvoke() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: LocalInvoke <HandlerClass> <input.json>");
            System.exit(2);
        }
        String className = args[0].contains(".") ? args[0] : LocalInvoke.class.getPackageName() + "." + args[0];
        byte[] input = Files.readAllBytes(Path.of(args[1]));
        System.out.println(invoke(className, input));
        System.out.flush();
    }

    /** Builds the handler and invokes it once; the printed line. */
    static String invoke(String className, byte[] input) {
        RequestStreamHandler handler;
        try {
            handler = (RequestStreamHandler) Class.forName(className).getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            Throwable cause = e instanceof InvocationTargetException ? e.getCause() : e;
            return error(cause);
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try (InputStream in = new ByteArrayInputStream(input)) {
            handler.handleRequest(in, output, new StubContext(handler.getClass().getSimpleName()));
        } catch (IOException | RuntimeException e) {
            return error(e);
        }
        return RESULT + output.toString(StandardCharsets.UTF_8);
    }

    private static String error(Throwable error) {
        return ERROR + error.getClass().getName() + ": " + String.valueOf(error.getMessage()).replaceAll("\\s+", " ");
    }

    /** The context a handler gets here: names and limits like a 512 MB function, a logger writing to stderr. */
    private record StubContext(String functionName) implements Context {
        @Override
        public String getAwsRequestId() {
            return "00000000-0000-4000-8000-000000000000";
        }

        @Override
        public String getLogGroupName() {
            return "/aws/lambda/" + functionName;
        }

        @Override
        public String getLogStreamName() {
            return "local";
        }

        @Override
        public String getFunctionName() {
            return functionName;
        }

        @Override
        public String getFunctionVersion() {
            return "$LATEST";
        }

        @Override
        public String getInvokedFunctionArn() {
            return "arn:aws:lambda:us-east-1:123456789012:function:" + functionName;
        }

        @Override
        public CognitoIdentity getIdentity() {
            return null;
        }

        @Override
        public ClientContext getClientContext() {
            return null;
        }

        @Override
        public int getRemainingTimeInMillis() {
            return 60_000;
        }

        @Override
        public int getMemoryLimitInMB() {
            return 512;
        }

        @Override
        public LambdaLogger getLogger() {
            return new LambdaLogger() {
                @Override
                public void log(String message) {
                    System.err.print(message);
                }

                @Override
                public void log(byte[] message) {
                    System.err.print(new String(message, StandardCharsets.UTF_8));
                }
            };
        }
    }
}
