#!/bin/sh
exec  ven control --url  "$@"
