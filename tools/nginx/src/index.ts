export { type Instances, renderNginxConfig, templatePath } from "./render-config.ts";
export { type NginxRun, nginxBinary, runNginx } from "./run-nginx.ts";
export { makeSelfSignedCert } from "./self-signed-cert.ts";
export { type NginxOptions, type NginxProcess, startNginx } from "./start-nginx.ts";
