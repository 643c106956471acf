namespace FlexCoop.Saref.Rdf;

/// <summary>IRIs of RDF, RDFS, OWL and XML Schema terms the library uses.</summary>
public static class RdfVocabulary
{
    public const string RdfNamespace = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
    public const string RdfsNamespace = "http://www.w3.org/2000/01/rdf-schema#";
    public const string XsdNamespace = "http://www.w3.org/2001/XMLSchema#";
    public const string OwlNamespace = "http://www.w3.org/2002/07/owl#";

    public static readonly RdfIri RdfType = new(RdfNamespace + "type");
    public static readonly RdfIri RdfFirst = new(RdfNamespace + "first");
    public static readonly RdfIri RdfRest = new(RdfNamespace + "rest");
    public static readonly RdfIri RdfNil = new(RdfNamespace + "nil");
    public static readonly RdfIri RdfLangString = new(RdfNamespace + "langString");

    public static readonly RdfIri RdfsLabel = new(RdfsNamespace + "label");
    public static readonly RdfIri RdfsComment = new(RdfsNamespace + "comment");
    public static readonly RdfIri RdfsSubClassOf = new(RdfsNamespace + "subClassOf");

    public static readonly RdfIri OwlOntology = new(OwlNamespace + "Ontology");
    public static readonly RdfIri OwlClass = new(OwlNamespace + "Class");
    public static readonly RdfIri OwlObjectProperty = new(OwlNamespace + "ObjectProperty");
    public static readonly RdfIri OwlDatatypeProperty = new(OwlNamespace + "DatatypeProperty");
    public static readonly RdfIri OwlAnnotationProperty = new(OwlNamespace + "AnnotationProperty");
    public static readonly RdfIri OwlNamedIndividual = new(OwlNamespace + "NamedIndividual");

    public static readonly RdfIri XsdString = new(XsdNamespace + "string");
    public static readonly RdfIri XsdBoolean = new(XsdNamespace + "boolean");
    public static readonly RdfIri XsdInteger = new(XsdNamespace + "integer");
    public static readonly RdfIri XsdDecimal = new(XsdNamespace + "decimal");
    public static readonly RdfIri XsdDouble = new(XsdNamespace + "double");
    public static readonly RdfIri XsdDateTime = new(XsdNamespace + "dateTime");
    public static readonly RdfIri XsdDuration = new(XsdNamespace + "duration");
    public static readonly RdfIri XsdUnsignedInt = new(XsdNamespace + "unsignedInt");
}
