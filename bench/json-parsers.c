#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <dirent.h>
#include <cjson/cJSON.h>
#include <jansson.h>
struct json_object; struct json_object *json_tokener_parse(const char*); int json_object_put(struct json_object*);
static char *slurp(const char *p, size_t *n){FILE*f=fopen(p,"rb");fseek(f,0,2);*n=ftell(f);rewind(f);char*b=malloc(*n+1);fread(b,1,*n,f);b[*n]=0;fclose(f);return b;}
int main(int c, char**v){
 DIR*d=opendir(v[1]); struct dirent*e; char *bufs[10000]; size_t lens[10000]; int n=0; size_t tot=0;
 while((e=readdir(d))){ if(!strstr(e->d_name,".json"))continue; char p[4096]; snprintf(p,sizeof p,"%s/%s",v[1],e->d_name); bufs[n]=slurp(p,&lens[n]); tot+=lens[n]; n++;}
 for(int lib=0;lib<3;lib++){ struct timespec a,b; clock_gettime(CLOCK_MONOTONIC,&a);
  for(int r=0;r<3;r++) for(int i=0;i<n;i++){
   if(lib==0){cJSON*j=cJSON_ParseWithLength(bufs[i],lens[i]);cJSON_Delete(j);}
   else if(lib==1){json_error_t er;json_t*j=json_loadb(bufs[i],lens[i],0,&er);json_decref(j);}
   else {struct json_object*j=json_tokener_parse(bufs[i]);json_object_put(j);}
  }
  clock_gettime(CLOCK_MONOTONIC,&b); double s=(b.tv_sec-a.tv_sec)+(b.tv_nsec-a.tv_nsec)/1e9;
  printf("%s: %.1f MB/s\n", lib==0?"cjson":lib==1?"jansson":"json-c", 3*tot/1e6/s);}
}
