/**
 * compose's one-shot `certs` service: a dev CA and a certificate per service (and the operator) in
 * the `certs` volume, owned by the services' non-root user. Kept across `up`s; delete the volume to
 * start afresh. Mounted into the order image, whose node_modules has the kit. For anything beyond a
 * laptop, issue certificates from your own CA and mount them the same way (deploy/README.md).
 *
 *   node issue-dev-certs.ts <dir> <uid>:<gid>
 */
import { writeDevCertificates } from "@orderly/kit/auth";

const [dir = "/certs", owner = "65532:65532"] = process.argv.slice(2);
const [uid, gid] = owner.split(":").map(Number);
const files = writeDevCertificates(dir, ["order", "inventory", "invoice", "fulfillment", "operator"], {
  owner: { uid: uid ?? 65532, gid: gid ?? 65532 },
});
process.stdout.write(`certificates ready in ${files.dir}\n`);
