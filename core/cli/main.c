/* main.c — placeholder until the CLI lands. */
#include <stdio.h>
#include "custos.h"
int main(void) { printf("custos %s\n", custos_version()); return 0; }
