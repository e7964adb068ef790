namespace Terminal.Tests.Gateway.Support;

/// <summary>
/// Fixed RSA-2048 test keys (PKCS#8 PEM), generated once with openssl for these tests only, so a test run does not
/// spend seconds generating keys. They protect nothing.
/// </summary>
internal static class TestKeyMaterial
{
    public const string MerchantPem = """
        -----BEGIN PRIVATE KEY-----
        MIIEvAIBADANBgkqhkiG9w0BAQEFAASCBKYwggSiAgEAAoIBAQCxSn70EO+Pdwaa
        DT9dv9IkSQZXBlDWTfWOCatrDAdt/qz8/WR5+3Jrpk/Vv3HatnBdgOPDap+0pyJc
        OgE8lU7MHOYt6ZvmpIf8ob7Bj4ZiyQpKNp8VwBcb7Uw7fbjpHhLygII5XTVayDbu
        tKgIknJcBjUq+t5xSpClIANjfOqfTYeUngavKpANF/3LiK3uPYiy33BdTL7xk+0z
        E0Ul2d5kbAmWRoheUZlGGP8OiFVLPIfX8r07X/4cGzb45Akp4+MbihELOVM0+5VG
        1LH13kJ9uMx9GnrQIiIZdjDLleiXk0tcUQtuSCpiOPMGrScUgQlEim+FihFaJVAQ
        d+B/3d3jAgMBAAECggEADCMdqXD8+LH2uYmNb5b+a7ROgwF2rt7FbPgY5fCVem1E
        XUl60HME9H1KDkfXib6ScLd7LQymnep3PeyzdJKDXRJGNWYLYaQ2S90S2K0OHFzH
        bI85H6pEqryTF6hV7JE95zlVZCUozh84y4Mb1QJmYj02jjIaE/o9bsbprhNS+9Bo
        vaOf8Xqn2ujC0Y3fNIjC5bTu+DoNQMxl0d0cXk7TSXcewNCLugckflJT0q+LhJhr
        PTQH4+gV+6J1Et5zZq4HUPWON6dWlHhroXUxD6Q+eMH7pnwg5tnKL0JTjUkypxP3
        3SY09fFCfDpT7YWhKpFVF4SfN9+YyrdSmaHIe8V2GQKBgQDg27jDygOyNF8BV/lP
        yf7vnHfhkyETv3GF6wNBXl6hEZZRwF3bwHjscXF2MGbcIej0TdyBkhuGV1wlVznh
        XkOnxfNNxhPZPxKDfKMKMosorWPfH7ad6v+n3CVPshGkQnLR5KRFISWIsjO5das5
        oRww3TTV5SiB5fTgi89BD8pF9wKBgQDJ2EqQgxFb8tIEKMAzcyij1WDpaavo1tw4
        V2dneKY6WfGnLZpEdoR70EJ8loA/a9xSTA9Yr1QV3yDIFkBjI/lbm4QeBv0zz+AA
        tp8cMf1nScLbMYNZQvfl8N+mtHrVOSq20mIIYNeb7lnG8aIh16ESvNj8wUfEHNk1
        ewcyZqo8dQKBgE33YcVhko6D4j1RB71GyQLEOj0ZCusSAobwyhwsYJtwwbJvBRxh
        TIyPeUwF1GSXzXKIXOEAjFK0j9rSt9sRGFxgItDg0ZkOaZj16oJqrB3aoTqIgIWZ
        KjRF/Rn5IGzYLX/hy6O8rosLXyv7RPeiiWfYC63u23DPD22cjKx+kSBZAoGAFpzC
        jboBQdnMKWcfUSQ/k0seVkfeWHFprm4sSW08wiC9b8suEylr4isMp8R8jZ5ZymZ2
        +ap6sxCSLZhAklq/XsHnZS3HQ/yvzaSn4pK/HskmqUO8wU09VGdNxvFFKYoD/QNI
        tEOVJATpzd3YGg58HwtFC9vjXFcXBmTIA594xtkCgYB2vYCC+rZ5aHP8PPdYtXFZ
        SS/3IVUDks74Vk2c8KwaIzHKque1PGgpwv2sYJk9lymSnAre9DrIX/s9qQSpMtsi
        veiRPHMfajDOV9beQF9WFKzu25tDXqHCTtdkS+sxW4ICjw9RRZUFfB036+5uQ/gP
        3cGVyRL/dmzK6GJPh4w7Hg==
        -----END PRIVATE KEY-----
        """;

    public const string AntomPem = """
        -----BEGIN PRIVATE KEY-----
        MIIEvAIBADANBgkqhkiG9w0BAQEFAASCBKYwggSiAgEAAoIBAQCXcVpwjgZ3XFp7
        prGndWIKIAkhUe8kU92Lr66dmOCajDSzk6FsqP6W74whN2vlJPYmeum3ivkfvF6x
        ZcIHe8cnTijMiLobWTWQ0+ch35NZrBXmRoKzQarxjMs8p2G2hZm+7+efd39VqWL0
        DseMK9wJsLVx1LaDG2QaufmgzUe+4WmerLX+tvoDZHGX6ksKGNzLEIz7Tb/K3q/7
        1wK4idvYS8WJ97Iry3tbXl6MmIanRD+UfP5yv2eQcFEJGkzOJU0xqqZ51vGEJlTS
        FHsV/eTtgepTQHsOirtwysVOvT2sySIhK7CTtT1ffJQryd9mFYg20nk8wCBhc9/J
        X4VZkf43AgMBAAECggEAIwv1+I89mtjSDcSNX2oQVrSEOGRMOfV4k0+EUu9ipxFk
        TtyO4mUXidmE7dj0DLLpjg0q0jGEpp4Csf4REYdJFuUFFxRbMWILPel0F0g0wu9K
        oCBYNeCwDTdefzpjKAiyBFhjm2ldm/bXshBLiLpLsShmTSIDXML1fyPjy51GCbuo
        f5qwAJt78r53pVz40MNCYtbAm31DMjrtPTLcEQoZixAwGmSaOpwT+wd6IKwJLxD2
        Le2KfN76B4Vtj3R0r3XdhfJdJAsd6CxRzMDy6vkQ6pt4KwKcvfVhyaRsRqSfxjsW
        Okmohs9YzVQljvK8u5fdEM7indLmMDxV8UtY+RYtDQKBgQDHs1eS8jpuRwtMEdGR
        aGOyXpqS4jQ961tpbYcJ/wOYFzjgkBrJTPuyq4rkJD9B2TVr0qHTETyoHc4yogib
        p6s5/hlSsAEELAKfbmZuG7ReUhEow2Gp7OADczqq96S8HK84GsoSToh+5N3WnGSA
        RpANfZEXXN2muQh/Bq6QvtlGfQKBgQDCIy7cfQESoZzilVYr1UXPd8athV/H+z5Q
        0ylSaiNmszZFSblRTI5D8A10t342KQ9sGEhsFK0+QOyoCdgsYzUusUuL+Qadx17L
        hn0/7d9soqzXfzsoywGkmqwDou19lxvFhooUwUpbXoIqa++eVJ9AXE1Ik88y5++V
        BmxJNF8RwwKBgAK3CnrB9k9ngdzP5TR/4dMb/CgBEUrCN2Twi0R0hhz8O9a5vtN7
        y3Q7ZtEBOSbxCAvmOjL/af6zIQmJMGrFVcudC8UXBXyECKkYPCZFFCewH/GY7mv7
        /3OsjmCiq0evcCZoHtUu4iYvgGCZkbg4vV6hlWZm6dCJdXccpSTso1GVAoGAfSAw
        E+x9xIRlmaSm5ZmQZSfN5gkQstQ8VdvDxlqido8La50Y1E2DZEZUZeXecwoD5qfA
        BelNv9IYtjWiHvnSTUX4az8WBJt7fbIxCANI/bvbqwlWF/TAGleWhsF8UHYUcDtG
        xBnQ0xMW0kC/ME1aVyEmrqCV6zmSMXryUDxxCgECgYBcFU+eowhsZAmAikjbY7hZ
        AfK3i57i0KRgcDmbPFHFVzRwak8VXacxbPOvtDJPOoGG3ddORdO0FAYPtzq6QbvZ
        IPV03C43GuTJkU9b/iGv4Mhn/pOSyHHrKJsAkTy5dXRPXvGCBcal+fXt1imaMx2a
        nep18tTPHjeosZ+HmtO3ow==
        -----END PRIVATE KEY-----
        """;

    public const string StrangerPem = """
        -----BEGIN PRIVATE KEY-----
        MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDNCkSDbuuiaI51
        pIfgFNKmffDWIGvtn1hnGDm5zA6f4JZR7jOOBTAuYjzqnwjKsiLNtfEfLF/cIrV4
        FGXhfnu5kWW7EwyijNp3+l1+K/xAo9lPK8zbyLhk8ClRDancDzKHfxBFixgI6eRp
        y1v+OvQTsdl8+GhVKcnDeXQTMZKBrRG9Qb84HoUOex48g4MAxtRoxKD7GTBaY3ys
        eovIafrDK5n6Al1vwPaghWo2N1gAAKfVj0ZrksNU5kYvgM+vpzr0R2TvY38g0ybs
        5PBhbdWaF0lFQMJ/X9/WcXLA4U2QuHrw86Sn3Y2xUuWYcM1Hm7cEup20AGQhi9P2
        0BhXtUpxAgMBAAECggEATxsBgOXX8jI9mCSwqWLPPJ3FP4+FpElAXZIKn2SbVdJb
        nGN2r3nP821CTFCsHyun4s6pptnDaBZaBeh0wBFA4cC3S3wXeVU3ameFD4sfyL6O
        Ng3TfQ4NGiBQCG3plTWlzIHYwMPfs3yte6WSKd0L0tdgbecWtZioN4rRniAXgoCW
        u4HkpNBOV8dHTWDy1GMBJiGkb6Gf/sVOtNrweEDlAS51oEZapUnMoBkYvQWKELvt
        7X4Qm+zHM6tOC1a4PTCKTbS8hZxFdDSO5TvnN6qJ9+z3jDvaNNzjE6L1gsxwh0a8
        gPL0WWGLoOwCWSe3o0dNnSnmMJIelOGnVuGpd2H2SwKBgQDtjk7W0Dx6PKPNCOu9
        pnJwmLz4tV+hshoJRrqjgwwRsi+nnIwH5tZO0qOH4o/j5hsTidAnndbJbOTudycH
        t3motxh5VBeKRooLntbK80PsuhhY8dDrtFOqyEktEx5yiJIUyi5cs50d620ul8xv
        75Hbn5nsL9iG046W9SjmgvWWAwKBgQDc9av09/LwXitXiHIzZ+Nus1AmagqzdkXC
        sW5O9Fwe61XlsQmVrILGr5OfBrKqdAmq3Bh7CRJavsmFyAa4wgSKZ600VFRDYCpY
        uAc/JYVYXpJKP0OmaOMSJRMLSVqtrPqOTzwXo+w6jW4WfNZFkipb0CGdw1n5vCoo
        416wBVK9ewKBgAGwa1sXq/Zqi/efQp3cmx+11lImaAGsVIcQW69h9SoDDFeyw0Qj
        Hg79bHBA6ikCr9qZtkMx2h8giRgw/LQPV+wdMS1brbcr/TtL69cRl8ANKrMnNQcY
        ByhFuE97vVGvKuq+7Ul3dXyK+gHEzo1VNMJNBjkpte5vfqoQIDRTZg+lAoGAZ2vp
        /7Aqms1I9iCca2k976uoYUKTHarHPji0S+peT+6Q9wClXtQvJfY6X13QNK45dCqu
        nrABUk4onyCf3MybOXkLfgnWou6ZA4ungKv8PP+O84enD3XairylrEu6UL49TGzT
        0LDeOg3GsGngFRI0F2NUyLYOIDEtfpPl1ve24Y8CgYEAsFMkvxOwyJ1/Erh9qPXf
        XPLMnUnWDJWwUGI3p2vRVInqnQBe8q2RT2KMhFILA1+vkby+PKbraJnIr6UDi1z4
        6rhON+lj9r9cXAZpcOmVix1Vh3NBG4vQOCHZ8ZfkIS4IGwVnl1jSFWgI48AhNbqK
        RlOFbc3gmAEvWM6FZzCr+Tg=
        -----END PRIVATE KEY-----
        """;
}
