/*
 * FlexCoop benchmark driver: an MMS client built on libiec61850, steered over stdin so that
 * BenchmarkDotNet can time it side by side with our own client.
 *
 *   mms_read_driver HOST PORT DOMAIN ITEM [ITEM...]
 *
 * Each stdin line "single N" reads the first ITEM N times, one request each; "multi N" reads
 * all ITEMs (one domain, one request) N times. After each line it prints "ok VALUES" and flushes.
 * Built only by bench/FlexCoop.Bench when FLEXCOOP_LIBIEC61850_DIR names a libiec61850 build.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "iec61850_client.h"

int main(int argc, char** argv)
{
    if (argc < 5) {
        fprintf(stderr, "usage: %s HOST PORT DOMAIN ITEM [ITEM...]\n", argv[0]);
        return 2;
    }
    IedClientError error;
    IedConnection connection = IedConnection_create();
    IedConnection_connect(connection, &error, argv[1], atoi(argv[2]));
    if (error != IED_ERROR_OK) {
        fprintf(stderr, "connect failed: %d\n", (int) error);
        return 1;
    }
    MmsConnection mms = IedConnection_getMmsConnection(connection);
    LinkedList items = LinkedList_create();
    for (int i = 4; i < argc; i++)
        LinkedList_add(items, argv[i]);

    printf("ready\n");
    fflush(stdout);

    char line[64];
    while (fgets(line, sizeof line, stdin)) {
        char mode[16];
        long count;
        if (sscanf(line, "%15s %ld", mode, &count) != 2)
            break;
        long values = 0;
        MmsError mmsError;
        for (long n = 0; n < count; n++) {
            MmsValue* value = strcmp(mode, "single") == 0
                ? MmsConnection_readVariable(mms, &mmsError, argv[3], argv[4])
                : MmsConnection_readMultipleVariables(mms, &mmsError, argv[3], items);
            if (value == NULL || mmsError != MMS_ERROR_NONE) {
                fprintf(stderr, "read failed: %d\n", (int) mmsError);
                return 1;
            }
            values += MmsValue_getType(value) == MMS_ARRAY ? (long) MmsValue_getArraySize(value) : 1;
            MmsValue_delete(value);
        }
        printf("ok %ld\n", values);
        fflush(stdout);
    }
    LinkedList_destroyStatic(items);
    IedConnection_close(connection);
    IedConnection_destroy(connection);
    return 0;
}
