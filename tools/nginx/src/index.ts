export { type Instances, renderNginxConfig, templatePath } from "./render-config.ts";
export { makeSelfSignedCert } from "./self-signed-cert.ts";
export { type NginxOptions, type NginxProcess, startNginx } from "./start-nginx.ts";
